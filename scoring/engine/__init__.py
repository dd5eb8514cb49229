from scoring.engine.run import EngineRun, Target, run_scored, scope_for_ids, scope_for_range

__all__ = ["EngineRun", "Target", "run_scored", "scope_for_ids", "scope_for_range"]
