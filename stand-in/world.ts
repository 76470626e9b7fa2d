// The stand-in's world: the organisation's networks, virtual network, speed profiles, VMs, their
// interfaces and addresses, built the same on every run so that tests and the README can quote
// their ids. Every VM comes with an interface and an address on its public network, as Katapult
// builds them, and every id (tasks' too) is drawn from one sequence in Katapult's form.
import { createHash } from 'node:crypto'

/** The ids the stand-in's world is built with, for tests and for trying the action by hand. */
export const IDS = {
  publicNetwork: 'netw_gVRkZdSKczfNg34P',
  amsterdamNetwork: 'netw_gnlxBcgtF7xyMslK',
  virtualNetwork: 'vnet_Pm2Tokrw4bwUlKHV',
  speed1g: 'nsp_Y8YS65yTivlCAjIY',
  speed10g: 'nsp_FKZSFo5xhn9Pfr79',
  /** Addresses the organisation holds on the London public network, allocated to nothing. */
  reservedIpv4: 'ip_VOnKeWEKAYHz2X9v',
  reservedIpv6: 'ip_om0YWOTu6VSHrdRk',
} as const

export const RESERVED_ADDRESSES = { ipv4: '185.44.254.39', ipv6: '2a03:2800:500::18' } as const

export interface Ref {
  id: string
  name: string
}
export interface Network extends Ref {
  permalink: string
  dataCenter: string
}
export interface SpeedProfile extends Ref {
  permalink: string
}
export interface VirtualMachine extends Ref {
  fqdn: string
  dataCenter: string
  trashed: boolean
}
export interface IpAddress {
  id: string
  address: string
  networkId: string
  interfaceId: string | null
}
export interface StandInInterface {
  id: string
  vmId: string
  name: string
  networkId: string | null
  virtualNetworkId: string | null
  macAddress: string
  state: 'attached' | 'detached'
  speedProfileId: string
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export class World {
  readonly networks: Network[] = [
    { id: IDS.publicNetwork, name: 'Public Network', permalink: 'uk-lon-01-public', dataCenter: 'uk-lon-01' },
    { id: IDS.amsterdamNetwork, name: 'Public Network - AMS', permalink: 'eu-ams-01', dataCenter: 'nl-ams-01' },
  ]
  readonly virtualNetworks: Ref[] = [{ id: IDS.virtualNetwork, name: 'backend' }]
  readonly speedProfiles: SpeedProfile[] = [
    { id: IDS.speed1g, name: '1Gbps', permalink: '1gbps' },
    { id: IDS.speed10g, name: '10Gbps', permalink: '10gbps' },
  ]
  readonly organization = { id: 'org_Zx7wRkq2LmPa9TbC', name: 'Acme', subDomain: 'acme' }
  readonly virtualMachines: VirtualMachine[] = []
  readonly interfaces: StandInInterface[] = []
  readonly ipAddresses: IpAddress[] = []
  #nextId = 1
  #addressesHandedOut = 0

  /** Builds the VMs the stand-in's options ask for, then the reserved addresses, then one VM in the trash. */
  constructor(options: { virtualMachines?: number; moreVirtualMachines?: string[] }) {
    const count = Math.max(1, options.virtualMachines ?? 1)
    const fqdns = [
      ...Array.from({ length: count }, (_, n) => `web-${n + 1}.example.com`),
      ...(options.moreVirtualMachines ?? []),
    ]
    for (const fqdn of fqdns) {
      const name = fqdn.split('.')[0] ?? fqdn
      const vm = { id: this.newId('vm'), name, fqdn, dataCenter: 'uk-lon-01' }
      this.virtualMachines.push({ ...vm, trashed: false })
      // Every VM is built with one interface on its data centre's public network, as Katapult builds them.
      const eth0 = this.addInterface(vm.id, IDS.publicNetwork, null, IDS.speed1g, 'attached')
      this.allocate(eth0.id, 'ipv4')
    }
    this.ipAddresses.push(
      { id: IDS.reservedIpv4, address: RESERVED_ADDRESSES.ipv4, networkId: IDS.publicNetwork, interfaceId: null },
      { id: IDS.reservedIpv6, address: RESERVED_ADDRESSES.ipv6, networkId: IDS.publicNetwork, interfaceId: null },
    )
    this.virtualMachines.push({
      id: this.newId('vm'),
      name: 'old',
      fqdn: 'trashed.example.com',
      dataCenter: 'uk-lon-01',
      trashed: true,
    })
  }

  /** An id with the real prefix and shape (`vmnet_NxJWGTnzOyqpE3kf`), unique and the same on every run. */
  newId(prefix: string): string {
    const n = this.#nextId++
    const scrambled = [...createHash('sha256').update(`${prefix}${n}`).digest()]
      .slice(0, 12)
      .map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length] ?? 'x')
      .join('')
    return `${prefix}_${scrambled}${n.toString(36).padStart(4, '0')}`
  }

  addInterface(
    vmId: string,
    networkId: string | null,
    virtualNetworkId: string | null,
    speedProfileId: string,
    state: StandInInterface['state'],
  ): StandInInterface {
    const n = this.#nextId
    const vm = this.virtualMachines.find((candidate) => candidate.id === vmId)
    const network =
      this.networks.find((candidate) => candidate.id === networkId) ??
      this.virtualNetworks.find((candidate) => candidate.id === virtualNetworkId)
    const created: StandInInterface = {
      id: this.newId('vmnet'),
      vmId,
      name: `${network?.name ?? 'Network'} on ${vm?.name ?? vmId}`,
      networkId,
      virtualNetworkId,
      macAddress: `3a:de:${[n >> 24, n >> 16, n >> 8, n].map((byte) => (byte & 0xff).toString(16).padStart(2, '0')).join(':')}`,
      state,
      speedProfileId,
    }
    this.interfaces.push(created)
    return created
  }

  /** A new address, never one handed out before: numbered from a count that only goes up. */
  allocate(interfaceId: string, version: 'ipv4' | 'ipv6'): IpAddress {
    const n = this.#addressesHandedOut++ + 10
    const address =
      version === 'ipv4' ? `185.199.${220 + Math.floor(n / 250)}.${(n % 250) + 1}` : `2a03:2800:500::${n.toString(16)}`
    const networkId = this.interfaces.find((candidate) => candidate.id === interfaceId)?.networkId ?? IDS.publicNetwork
    const ip = { id: this.newId('ip'), address, networkId, interfaceId }
    this.ipAddresses.push(ip)
    return ip
  }

  /** Removes an interface; its addresses stay with the organisation, allocated to nothing. */
  removeInterface(interfaceId: string): void {
    const index = this.interfaces.findIndex((candidate) => candidate.id === interfaceId)
    if (index >= 0) this.interfaces.splice(index, 1)
    for (const ip of this.ipAddresses) if (ip.interfaceId === interfaceId) ip.interfaceId = null
  }
}
