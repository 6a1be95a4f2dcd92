// A group change this client refused to make, or could not: a sentence for the person,
// and nothing was posted.

export class GroupChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GroupChangeError';
  }
}
