#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (one "frame;frame;... count" line per stack):
who spends the CPU (each sample charged to the nearest frame outside the JDK on its stack, by
package: a socket write in the PostgreSQL driver is the driver's; stacks without such a frame are
the JIT compiler, the GC, or JDK/kernel work like the virtual-thread scheduler), the application's
own methods (inclusive) and the hottest leaf frames (self time). Used by `BENCH_PROFILE=1 make
bench`; docs/benchmarks.md quotes its findings."""
import collections
import re
import sys


JDK = ('java.', 'jdk.', 'sun.', 'javax.', 'jakarta.servlet')


def owner(frames):
    for f in reversed(frames):
        if '.' not in f or f.startswith('['):
            continue
        if not f.startswith(JDK):
            parts = f.split('.')
            return '.'.join(parts[:min(4, len(parts) - 2)])
    joined = ';'.join(frames)
    if 'CompileBroker' in joined or 'C2Compiler' in joined:
        return '[JIT compiler]'
    if 'GC' in joined or 'Serial' in joined:
        return '[GC]'
    java = [f for f in frames if '.' in f and not f.startswith('[')]
    return '[JDK] ' + (java[-1] if java else frames[-1])


def method(frame):
    if frame.endswith('_[k]'):
        return '[kernel] ' + frame[:-4]
    return re.sub(r'_\[[a-z0-9]\]$', '', frame.split('(')[0]).replace('/', '.')


def main(path, top=30):
    total = 0
    by_owner, own, leaves = collections.Counter(), collections.Counter(), collections.Counter()
    for line in open(path, encoding='utf-8', errors='replace'):
        stack, _, count = line.rstrip('\n').rpartition(' ')
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [method(f) for f in stack.split(';')]
        leaves[frames[-1]] += n
        by_owner[owner(frames)] += n
        for m in {f for f in frames if f.startswith('io.healthcarebackend.')}:
            own[m] += n
    if total == 0:
        print('no samples')
        return
    def table(title, counter, k):
        print(f'\n{title}')
        for name, n in counter.most_common(k):
            print(f'{100.0 * n / total:6.1f} %  {name}')
    print(f'{total} samples ({path})')
    table('Who spends it (nearest non-JDK frame, by package)', by_owner, top)
    table('Application methods (inclusive)', own, top)
    table('Leaf frames (self)', leaves, top)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30)
