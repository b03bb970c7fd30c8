"""Simulated cases with known truth: victims, their custody, and the lists that name them."""

from .case import SimulatedCase, SimulationSettings, simulate_case, write_canonical, write_case

__all__ = ["SimulatedCase", "SimulationSettings", "simulate_case", "write_canonical", "write_case"]
