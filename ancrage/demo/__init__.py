"""The demo consortium, participants at scale and the bench: the top layer, built on every domain."""
