import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const REQUIRED_ROLES = 'ledger:auth:roles';

/**
 * Only these roles may call the route (on a method) or the controller's routes (on the
 * class; a method's own @Roles replaces the class's). Without it any authenticated role
 * may call; region scope is checked separately, by the handler (./scope).
 */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(REQUIRED_ROLES, roles);
