// s3rver in a process of its own, started by s3.ts with OpenSSL's legacy provider: its
// list continuation tokens use DES, which Node's default OpenSSL 3 refuses.
// Arguments: data directory, bucket, port (0 for any). Prints {"port": n} once listening.
import S3rver from 's3rver';

const [directory, bucket, port] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
const { port: bound } = await server.run();
process.send?.({ port: bound });
// The test process going away (even killed) closes the IPC channel: stop with it.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
