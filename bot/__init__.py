"""Shouwen's Rasa side: the custom NLU components (one per module) and the dialogue data
(domain, rules, stories) that `rasa train` reads."""
