"""The analyst layer: the analyst views (layered .sql files), the config behind them, and assumed
priorities matched to themes."""

from vocmine.analytics.refresh import AnalysisRefresh, refresh_analysis
from vocmine.analytics.views import analyst_views, create_views

__all__ = ["AnalysisRefresh", "analyst_views", "create_views", "refresh_analysis"]
