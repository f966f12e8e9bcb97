"""The analyst layer: the config behind the analyst views, and assumed priorities matched to themes."""

from vocmine.analytics.refresh import AnalysisRefresh, refresh_analysis

__all__ = ["AnalysisRefresh", "refresh_analysis"]
