/**
 * The compute service's method table is checked by the type checker: a method added to the interface
 * but missing from the table or from the implementation, or a misspelt table entry, fails
 * `npm run typecheck`. Each `@ts-expect-error` below is such a mistake; if it stopped being an error,
 * the directive itself would fail the type check.
 */
import { describe, expect, it } from 'vitest';
import type { ComputeService } from '../../shared/compute-api';
import { COMPUTE_METHODS } from '../../shared/compute-protocol';
import type { MethodTable } from '../../shared/rpc';
import { LocalComputeCore } from '../compute-core';

/** The compute interface with one more method, as a developer would add it. */
interface ComputeServiceWithExtra extends ComputeService {
  inpaint(req: { sample: string }): Promise<Uint8Array>;
}

describe('the compute method table', () => {
  it('names every method of the service and nothing else', () => {
    // @ts-expect-error -- the table lacks the new method `inpaint`
    const missing: MethodTable<ComputeServiceWithExtra> = COMPUTE_METHODS;
    // @ts-expect-error -- a misspelt entry is not a method of the service
    const misspelt = { ...COMPUTE_METHODS, lable: { doing: 'labeling' } } satisfies MethodTable<ComputeService>;
    // @ts-expect-error -- the implementation lacks the new method `inpaint`
    const unimplemented: ComputeServiceWithExtra = new LocalComputeCore();
    void [missing, misspelt, unimplemented];

    const core = new LocalComputeCore();
    for (const method of Object.keys(COMPUTE_METHODS)) {
      expect(typeof (core as unknown as Record<string, unknown>)[method]).toBe('function');
    }
  });
});
