"""Programmes and series of exchanges (一日里长, 双城交流, 京台社区发展论坛), their figures over
time, and the links between exchanges (the return visit of an earlier trip)."""
