import { Module } from '@nestjs/common';

/** Ranked at-risk and expansion lists over the latest run (JSON and CSV). */
@Module({})
export class ListsModule {}
