// CPU accounting from /proc (Linux): CPU seconds used by a process tree, PostgreSQL,
// Redis, the benchmark process itself and the whole machine, so a benchmark can report
// CPU per message for each part.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const TICKS = 100; // USER_HZ on Linux

function stat(pid) {
  try {
    // Fields after the command name (which may contain spaces): state is field 3.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

function processes() {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      const s = stat(d);
      let comm = '';
      try {
        comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
      } catch {
        // gone
      }
      return s && { pid: Number(d), comm, ...s };
    })
    .filter(Boolean);
}

/** CPU seconds used so far by a process and its children (living and reaped). */
export function treeSeconds(rootPid, all = processes()) {
  const root = all.find((p) => p.pid === rootPid);
  if (!root) return 0;
  const children = all.filter((p) => p.ppid === rootPid);
  return (root.own + root.reaped + children.reduce((sum, c) => sum + c.own, 0)) / TICKS;
}

export function postmasterPid(dir) {
  try {
    return Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine spent busy (all processes, all cores). */
export function machineBusySeconds() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

export function cpuSnapshot(servers, pgPid) {
  const all = processes();
  const redis = all.filter((p) => p.comm === 'redis-server').reduce((s, p) => s + p.own / TICKS, 0);
  const self = process.cpuUsage();
  return {
    app: servers.reduce((s, srv) => s + treeSeconds(srv.pid, all), 0),
    postgres: pgPid
      ? treeSeconds(pgPid, all)
      : all.filter((p) => p.comm === 'postgres').reduce((s, p) => s + p.own / TICKS, 0),
    redis,
    load: (self.user + self.system) / 1e6,
    machine: machineBusySeconds(),
  };
}
