"""Skills Roadmap: plan and track a regional workforce AI-skills roadmap."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("skills-roadmap")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
