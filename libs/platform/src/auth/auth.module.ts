import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { JWT_SECRET } from './jwt-secret.token';

/**
 * Authentication for the whole application: provides JWT_SECRET and makes AuthGuard global
 * (APP_GUARD applies to every controller, whichever module registers it).
 */
@Module({})
export class AuthModule {
  static forSecret(secret: Buffer): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: JWT_SECRET, useValue: secret },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [JWT_SECRET],
    };
  }
}
