"""surgeplan: plan and track surge deployments of specialised personnel."""

__version__ = "0.1.0"
