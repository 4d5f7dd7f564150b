import { Module } from '@nestjs/common';

/** Backtests and fitted suggestions of a scoring config against recorded outcomes. */
@Module({})
export class BacktestModule {}
