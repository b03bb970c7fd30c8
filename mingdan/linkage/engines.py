"""The SQL engines Splink runs mingdan's model on: DuckDB in process, or Spark on this machine."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache

ENGINES = ("duckdb", "spark")


class EngineUnavailable(RuntimeError):
    """The chosen engine's software is not installed (Spark is an optional extra)."""


def database_api(engine: str = "duckdb"):
    """A Splink database API for the engine; Spark runs locally, on as many cores as the machine has."""
    if engine == "duckdb":
        from splink import DuckDBAPI

        from .model import connect

        return DuckDBAPI(connect())
    if engine == "spark":
        from splink.backends.spark import SparkAPI

        return SparkAPI(spark_session=spark_session())
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")


@lru_cache(maxsize=1)
def spark_session():
    """One local Spark session per process, bound to this machine only, with Splink's similarity functions."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as error:
        raise EngineUnavailable(
            "the spark engine needs PySpark and Java 17: .venv/bin/pip install -r requirements-spark.lock") from error
    scratch = tempfile.mkdtemp(prefix="mingdan-spark-")
    builder = (SparkSession.builder.master(f"local[{os.cpu_count() or 1}]").appName("mingdan")
               .config("spark.jars", similarity_jar_location())
               # Nothing leaves the machine: the driver listens on the loopback address only.
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.local.dir", scratch)
               .config("spark.sql.shuffle.partitions", str(max(2, (os.cpu_count() or 1) * 2)))
               .config("spark.driver.memory", os.environ.get("MINGDAN_SPARK_MEMORY", "2g"))
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(os.path.join(scratch, "checkpoints"))
    return session
