"""Lets the tests import the converter modules by their flat names (bundle_writer, rosinality, nvidia, …)."""
import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), '..')))
