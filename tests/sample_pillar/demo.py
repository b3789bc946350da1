from typing import Any


def seed_demo(*, seed: int, progress: Any = None) -> dict[str, int]:
    return {"sample things": 3}
