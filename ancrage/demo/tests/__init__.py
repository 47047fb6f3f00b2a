"""Tests of the demo, scale data and bench."""
