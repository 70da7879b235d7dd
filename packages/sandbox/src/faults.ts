/** A fault the sandbox injects into matching API requests (set through `/_control/faults`). */
export interface SandboxFault {
  id: string;
  /** Only requests whose path starts with this (e.g. `/bog/`); default every API path. */
  pathPrefix?: string | undefined;
  /** Only this HTTP method. */
  method?: string | undefined;
  /**
   * `status`: answer with `status` (and `body`); `reset`: destroy the connection before reading
   * the request; `reset-after`: handle the request normally, then destroy the connection before
   * answering (the gateway did the work, the client never hears); `latency`: wait `ms` first.
   */
  kind: 'status' | 'reset' | 'reset-after' | 'latency';
  status?: number | undefined;
  body?: string | undefined;
  ms?: number | undefined;
  /** How many requests it applies to (default 1). */
  remaining: number;
}

/** The sandbox's fault registry. */
export interface FaultRegistry {
  add(fault: Omit<SandboxFault, 'id' | 'remaining'> & { times?: number }): SandboxFault;
  /** Takes the first fault matching a request (decrementing its count). */
  take(method: string, path: string): SandboxFault | undefined;
  list(): SandboxFault[];
  reset(): void;
}

/** Creates an empty fault registry. */
export function createFaultRegistry(): FaultRegistry {
  let faults: SandboxFault[] = [];
  let counter = 0;
  return {
    add(input) {
      const { times, ...rest } = input;
      const fault: SandboxFault = { ...rest, id: `fault_${++counter}`, remaining: times ?? 1 };
      faults.push(fault);
      return fault;
    },
    take(method, path) {
      const fault = faults.find(
        (item) =>
          item.remaining > 0 &&
          (!item.pathPrefix || path.startsWith(item.pathPrefix)) &&
          (!item.method || item.method.toUpperCase() === method.toUpperCase()),
      );
      if (!fault) return undefined;
      fault.remaining--;
      if (fault.remaining <= 0) faults = faults.filter((item) => item !== fault);
      return fault;
    },
    list: () => [...faults],
    reset() {
      faults = [];
    },
  };
}
