"""Theme reports for teams: data, charts, HTML/Markdown/exports."""
