"""How `rank --sensitivity` samples unless told otherwise. Imports nothing: the Python API and
the command line read these defaults without loading the analysis itself."""

DEFAULT_SEED = 2016
DEFAULT_SAMPLES = 10_000
DEFAULT_UNCERTAINTY = 0.25
"""Each weight is multiplied by a random factor in [1 - 0.25, 1 + 0.25]."""
HALF_STAR = 0.5
"""The rating noise of `--rating-noise`: ratings move by up to half a star either way."""
