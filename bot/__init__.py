"""The Telegram adapter: composition root, thin handlers, Jinja2 templates, and a local console."""
