"""Lets the tests import the converter modules by their flat names (bundle_writer, rosinality, nvidia, …)
and the bundle makers in tools/ (make_tiny_bundle, make_random_bundle)."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(_HERE, '..', '..')))
sys.path.insert(0, os.path.abspath(os.path.join(_HERE, '..')))
