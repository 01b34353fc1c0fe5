import type { AppRouter } from '@gopherchat/server/router';
import type { AnyTRPCProcedure, TRPCProcedureType } from '@trpc/server';

/** The dotted path of each procedure of type `TType` in a router's record: `'auth.renewSocket'`. */
type ProcedurePath<TRecord, TType extends TRPCProcedureType> = {
  [K in keyof TRecord & string]: TRecord[K] extends AnyTRPCProcedure
    ? TRecord[K]['_def']['type'] extends TType
      ? K
      : never
    : `${K}.${ProcedurePath<TRecord[K], TType>}`;
}[keyof TRecord & string];

/**
 * The path of every query and mutation of the API. The socket-only paths
 * (`SOCKET_PATHS`, `OPEN_SOCKET_PATHS` in @gopherchat/api, which cannot see
 * the router) are typed against it where the SDK uses them: renaming or
 * removing such a procedure, or making it a subscription, fails to compile
 * instead of quietly sending its calls over HTTP.
 */
export type CallPath = ProcedurePath<AppRouter['_def']['record'], 'query' | 'mutation'>;
