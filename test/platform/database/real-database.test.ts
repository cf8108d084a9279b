import { MongoClient } from 'mongodb';
import { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongoose } from '../../../server/platform/database/connection.js';
import { freshDbName, sharedDatabase } from '../../support/database.js';

describe('the database is a real server', () => {
  const database = sharedDatabase();
  const dbName = freshDbName('real-db');
  let client: MongoClient;

  beforeAll(async () => {
    client = await MongoClient.connect(database.uri);
  });
  afterAll(async () => {
    await client.close();
  });

  it('shows a document written through mongoose to a second connection made with the plain driver', async () => {
    const connection = await connectMongoose(database.uri, dbName);
    const Probe = connection.model('Probe', new Schema({ shop: String, note: String }));
    const written = await Probe.create({ shop: 'real.myshopify.com', note: `written at ${Date.now()}` });
    await connection.close();

    const seen = await client.db(dbName).collection('probes').findOne({ _id: written._id });
    expect(seen?.note).toBe(written.note);
    expect(seen?.shop).toBe('real.myshopify.com');
  });

  it('enforces a unique index across connections', async () => {
    const collection = client.db(dbName).collection('uniques');
    await collection.createIndex({ shop: 1, key: 1 }, { unique: true });
    await collection.insertOne({ shop: 'a', key: 'earn:order:1' });
    await expect(collection.insertOne({ shop: 'a', key: 'earn:order:1' })).rejects.toMatchObject({ code: 11000 });
    expect(await collection.countDocuments({ shop: 'a' })).toBe(1);
  });
});
