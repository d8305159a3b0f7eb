"""``python -m peerladder.cli``: the console script, run as a module."""

from peerladder.cli import main

main()
