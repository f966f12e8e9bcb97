"""Prefect flows: orchestration only. Each task calls one vocmine library function."""
