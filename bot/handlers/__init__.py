"""Thin Telegram handlers: parse the update, call an action, send the rendered reply."""
