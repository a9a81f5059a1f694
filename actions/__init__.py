"""Shouwen's custom actions (rasa-sdk). Thin: read the tracker, call shouwen_core, render."""
