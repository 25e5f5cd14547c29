import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'ledger:auth:public';

/**
 * Lets a controller or route answer without a token (health, metrics). Every other
 * controller route needs one: the guard is global, so forgetting a decorator fails closed.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
