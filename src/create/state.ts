// The names under which the main step tells the post step what it made.
export const STATE = {
  interfaceId: 'interface-id',
  created: 'created',
  allocatedIpIds: 'allocated-ip-ids',
} as const
