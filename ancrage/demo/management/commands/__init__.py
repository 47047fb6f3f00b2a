"""seed_demo, seed_scale and bench."""
