"""Pieces more than one target shares. Targets import each other only through a target
folder's package (its ``__init__``) or through this one."""
