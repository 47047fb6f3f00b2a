"""manage.py commands of the demo app: seed_demo, seed_scale, bench."""
