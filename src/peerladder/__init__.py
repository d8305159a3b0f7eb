"""peerladder: a peer-produced catalogue of participatory business models.

The pure ladder model lives in :mod:`peerladder.ladder`; everything else is the
Django project built around it.
"""

__version__ = "0.1.0"
