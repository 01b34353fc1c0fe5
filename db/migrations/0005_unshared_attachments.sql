DROP INDEX "attachments_unconfirmed_idx";--> statement-breakpoint
CREATE INDEX "attachments_unshared_idx" ON "attachments" USING btree ("created_at") WHERE "attachments"."conversation_id" is null;