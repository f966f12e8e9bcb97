-- The analyst views leave the migrations: they live as layered .sql files in
-- vocmine/analytics/sql (staging/, marts/) and `vocmine.analytics.views.create_views` creates
-- them on every run, in `vocmine views` and wherever a store needs them. From here on the
-- migrations hold tables only (tests/test_analytics_sql_views.py checks that no later one
-- creates a view).
DROP VIEW IF EXISTS assumption_gap;
DROP VIEW IF EXISTS team_kpis;
DROP VIEW IF EXISTS team_theme_periods;
DROP VIEW IF EXISTS team_period_segments;
DROP VIEW IF EXISTS team_themes;
DROP VIEW IF EXISTS team_segments;
DROP VIEW IF EXISTS lost_customers;
DROP VIEW IF EXISTS priorities;
DROP VIEW IF EXISTS theme_drivers;
DROP VIEW IF EXISTS feedback_outcomes;
DROP VIEW IF EXISTS stage_touchpoint;
DROP VIEW IF EXISTS theme_overview;
DROP VIEW IF EXISTS theme_journey;
DROP VIEW IF EXISTS theme_touchpoints;
DROP VIEW IF EXISTS theme_stages;
DROP VIEW IF EXISTS emerging_themes;
DROP VIEW IF EXISTS theme_weekly;

-- The priority score shrinks a small theme's negativity and harm toward the company-wide level,
-- as if it had prior_strength more segments at that level ([priorities] prior_strength).
ALTER TABLE analysis_settings ADD COLUMN prior_strength DOUBLE DEFAULT 50;
