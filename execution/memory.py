"""How much memory this process holds, as Linux reports it: the one place /proc is read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AddressSpace:
    """This process's address space now (`size`) and at its largest (`peak`), in bytes: what its
    memory limit (RLIMIT_AS) bounds."""

    size: int
    peak: int


def address_space() -> AddressSpace:
    """This process's address space, from /proc/self/status (zeros where the system has no /proc)."""
    found = {"VmSize:": 0, "VmPeak:": 0}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key = line.split(maxsplit=1)[0] if line.strip() else ""
                if key in found:
                    found[key] = int(line.split()[1]) * 1024
    except OSError:
        pass
    return AddressSpace(found["VmSize:"], found["VmPeak:"])
