import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from './roles.js';

@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  /** sha256 of the key: the key itself is shown once and never stored. */
  @Column({ type: 'text', name: 'key_hash' })
  keyHash: string;

  /** E-mail of the person the key belongs to (lower-cased); scopes csm/sales keys to their book. */
  @Column({ type: 'text', nullable: true })
  owner: string | null;

  @Column({ type: 'text', name: 'key_prefix' })
  keyPrefix: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
