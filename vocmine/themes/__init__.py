"""Themes: discovered from what customers say, sized for analysts, stable night to night."""
