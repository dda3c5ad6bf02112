"""The benchmark's large data set, written by bulk inserts (`manage.py bench_data`).

Everything is fictional and marked demonstration. `centres` comes first (the
RCPs and trials spread over its centres and people).
"""
