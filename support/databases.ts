import pg from 'pg';

/** A PostgreSQL database of its own for one broker, when the suite runs against PostgreSQL (or on `adminUrl`'s server). */
export async function isolatedDatabaseUrl(adminUrl = process.env.DATABASE_URL): Promise<string | undefined> {
  const url = adminUrl;
  if (!url) return undefined;
  const name = `portvagt_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const isolated = new URL(url);
  isolated.pathname = `/${name}`;
  return isolated.href;
}

/** Drops a database made by isolatedDatabaseUrl once its broker has closed its connections. */
export async function dropIsolatedDatabase(isolatedUrl: string | undefined, adminUrl = process.env.DATABASE_URL): Promise<void> {
  const url = adminUrl;
  if (!url || !isolatedUrl) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${new URL(isolatedUrl).pathname.slice(1)} with (force)`);
  await admin.end();
}
