"""permis-tui: assistant en terminal pour la demande de permis de conduire."""

__version__ = "0.1.0"
APP_NAME = "permis-tui"
