import { Module } from '@nestjs/common';

/** Manual grade overrides by CSMs and RevOps, with reason, expiry and audit. */
@Module({})
export class OverridesModule {}
