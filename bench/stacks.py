#!/usr/bin/env python3
"""Summarises an async-profiler CPU profile of Baton (collapsed stacks, one "frame;frame;... count" a line).

    bench/stacks.py PROFILE.collapsed            where the CPU goes, by component, user and kernel
    bench/stacks.py PROFILE.collapsed Frame ...  also: the share of samples whose stack holds each frame

Each sample is charged to one component: a thread of its own (JIT, GC, the access-log writer, the
watchdog) by its thread's frames, anything else by the innermost frame that belongs to a known
library or package. Samples with a kernel frame count as kernel time of that component.
"""
import collections
import sys

THREADS = [('CompileBroker', 'JIT'), ('C2Compiler', 'JIT'), ('C1Compiler', 'JIT'), ('G1', 'GC'), ('GC_', 'GC'),
           ('AccessLog.write', 'access log writer'), ('Logging.lambda', 'stderr flusher'),
           ('Watchdog.run', 'watchdog'), ('DelayScheduler', 'JDK delay scheduler')]
COMPONENTS = [('com/fasterxml/jackson', 'Jackson (JSON)'), ('dev/baton/wire', 'Baton wire (OpenAI JSON)'),
              ('dev/baton/transport', 'Baton transport (upstream HTTP)'), ('dev/baton/router', 'Baton router'),
              ('dev/baton/provider', 'Baton providers'), ('dev/baton/server', 'Baton gateway'),
              ('dev/baton/', 'Baton API'), ('io/helidon', 'Helidon (HTTP server)'), ('io/micrometer', 'Micrometer'),
              ('org/slf4j', 'SLF4J'), ('sun/nio/ch', 'JDK sockets'), ('java/net/http', 'JDK HttpRequest'),
              ('java/lang/VirtualThread', 'virtual threads'), ('jdk/internal/vm/Continuation', 'virtual threads'),
              ('java/util/concurrent/ForkJoin', 'virtual threads')]


def component(frames):
    for key, name in THREADS:
        if any(key in f for f in frames):
            return name
    for f in reversed(frames):
        for key, name in COMPONENTS:
            if f.startswith(key):
                return name
    return 'other'


def main():
    user, kernel, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    keys = sys.argv[2:]
    with open(sys.argv[1]) as profile:
        for line in profile:
            stack, count = line.rsplit(' ', 1)
            n = int(count)
            total += n
            frames = stack.split(';')
            (kernel if any(f.endswith('_[k]') for f in frames) else user)[component(frames)] += n
            for k in keys:
                if k in stack:
                    inclusive[k] += n
    if total == 0:
        sys.exit('no samples')
    print(f"{total} samples: user {100 * sum(user.values()) / total:.0f}%, kernel {100 * sum(kernel.values()) / total:.0f}%")
    print(f"  {'component':34s} {'user':>6s} {'kernel':>7s}")
    for name in sorted(set(user) | set(kernel), key=lambda c: -(user[c] + kernel[c])):
        print(f"  {name:34s} {100 * user[name] / total:5.1f}% {100 * kernel[name] / total:6.1f}%")
    for k in keys:
        print(f"  stacks holding {k}: {100 * inclusive[k] / total:.1f}%")


if __name__ == '__main__':
    main()
