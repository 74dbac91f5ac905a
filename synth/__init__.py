"""buddy-raise synth package."""
