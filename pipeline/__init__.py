"""newsalign: align a foreign-language news report with an English one and show what differs."""

__version__ = "0.1.0"
