"""The gateway: Shouwen's only public HTTP surface (FastAPI). Channel adapters live in routers/."""
