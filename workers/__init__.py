"""rq jobs and the worker entry point. Jobs take ids and are safe to run twice."""
