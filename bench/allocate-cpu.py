#!/usr/bin/env python3
# Runs `allocate` or `escalate` (the first argument; the rest passed through), timestamps its output, samples the CPU time (utime+stime) of the Api,
# of the two raw baseline servers (baseline-http, baseline-http-reads), of the bench's own PostgreSQL cluster
# (postmaster + backends) and of the bench process, and prints the
# CPU spent per pair (allocate) or triple (escalate) in each timed round. Under
# saturation the kernel shares the cores, so read it beside the pairs/s, not alone.
import subprocess, sys, time, threading, re, os
TCK = os.sysconf('SC_CLK_TCK')
def cpu(pid):
    try:
        with open(f'/proc/{pid}/stat') as f: parts = f.read().rsplit(')', 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / TCK   # utime, stime (fields 14,15)
    except Exception: return None
def children(ppid):
    out = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f: parts = f.read().rsplit(')', 1)[1].split()
                if int(parts[1]) == ppid: out.append(int(d))
            except Exception: pass
    return out
state = {'api': None, 'pm': None, 'baseline-http': None, 'baseline-http-reads': None}
samples = []  # (t, api, pg, bench, baseline-http server, baseline-http-reads server)
dead = {}  # pid -> last cpu (for exited pg backends)
def sampler(bench_pid):
    last = {}
    while not stop:
        t = time.time()
        a = cpu(state['api']) if state['api'] else None
        pg = None
        if state['pm']:
            pids = [state['pm']] + children(state['pm'])
            cur = {}
            for p in pids:
                c = cpu(p)
                if c is not None: cur[p] = c
            for p, c in last.items():
                if p not in cur: dead[p] = c
            last = cur
            pg = sum(cur.values()) + sum(dead.values())
        servers = tuple(cpu(state[m]) if state[m] else None for m in ('baseline-http', 'baseline-http-reads'))
        samples.append((t, a, pg, cpu(bench_pid)) + servers)
        time.sleep(0.05)
stop = False
verb = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in ('allocate', 'escalate') else 'allocate'
args = sys.argv[2:] if len(sys.argv) > 1 and sys.argv[1] == verb else sys.argv[1:]
unit = 'triple' if verb == 'escalate' else 'pair'
p = subprocess.Popen(['dotnet', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'CaseTransfer.Bench', 'bin', 'Release', 'net10.0', 'CaseTransfer.Bench.dll'), verb] + args,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
th = threading.Thread(target=sampler, args=(p.pid,), daemon=True); th.start()
def at(t, i):
    best = None
    for s in samples:
        if s[i] is None: continue
        if s[0] <= t: best = s[i]
        else:
            return best if best is not None else s[i]
    return best
results = {'http': [], 'baseline': [], 'baseline-http': [], 'baseline-http-reads': []}
for line in p.stdout:
    now = time.time()
    sys.stdout.write(line); sys.stdout.flush()
    m = re.search(r'Api \(pid (\d+)', line)
    if m: state['api'] = int(m.group(1))
    m = re.search(r"raw ADO\.NET baseline server( with the Api's reads)? \(pid (\d+)", line)
    if m: state['baseline-http-reads' if m.group(1) else 'baseline-http'] = int(m.group(2))
    m = re.search(r'PostgreSQL started on \S+ \((.*)\)', line)
    if m:
        datadir = m.group(1)
        try:
            with open(os.path.join(datadir, 'postmaster.pid')) as f: state['pm'] = int(f.readline())
        except Exception as e: print('no postmaster pid', e)
    m = re.match(r'round (\d+) (http|baseline-http-reads|baseline-http|baseline)\s*: (\d+) (?:pairs|triples) in ([\d.]+) s', line)
    if m:
        n = int(m.group(3)); dur = float(m.group(4)); mode = m.group(2)
        t0 = now - dur
        api = (at(now, 1) or 0) - (at(t0, 1) or 0)
        pg = (at(now, 2) or 0) - (at(t0, 2) or 0)
        bn = (at(now, 3) or 0) - (at(t0, 3) or 0)
        r = (api * 1000 / n, pg * 1000 / n, bn * 1000 / n)
        if mode.startswith('baseline-http'):
            # The raw server serving this mode (the other one idles); the http and baseline lines stay as they were.
            i = 4 if mode == 'baseline-http' else 5
            r += ((((at(now, i) or 0) - (at(t0, i) or 0)) * 1000 / n),)
        results[mode].append(r)
        server = f', server {r[3]:.2f} ms' if len(r) > 3 else ''
        print(f'  cpu per {unit} ({mode}): api {r[0]:.2f} ms{server}, postgres {r[1]:.2f} ms, bench {r[2]:.2f} ms, total {sum(r):.2f} ms')
        if os.environ.get('CPUBENCH_DEBUG'): print(f'    debug t0={t0:.2f} now={now:.2f} api {at(t0,1)}->{at(now,1)} pg {at(t0,2)}->{at(now,2)} pm={state["pm"]} api_pid={state["api"]} nsamples={len(samples)}')
p.wait(); stop = True
for mode, rs in results.items():
    if rs:
        k = len(rs)
        server = f', server {sum(r[3] for r in rs)/k:.2f} ms' if len(rs[0]) > 3 else ''
        print(f'CPU per {unit}, {mode}, mean of {k} rounds: api {sum(r[0] for r in rs)/k:.2f} ms{server}, postgres {sum(r[1] for r in rs)/k:.2f} ms, bench {sum(r[2] for r in rs)/k:.2f} ms, total {sum(sum(r) for r in rs)/k:.2f} ms')
sys.exit(p.returncode)
