// What the organisation can put an interface on: a network by id or permalink, and its listings
// of the networks and virtual networks available to it and of its network speed profiles.
import { paginate, presentNetwork } from './answers.ts'
import { type Args, type Routes, findNetwork, findOrganization } from './requests.ts'
import type { World } from './world.ts'

export function networkRoutes(world: World): Routes {
  return {
    'GET /networks/network': (args) => ({ network: presentNetwork(findNetwork(world, args)) }),
    'GET /organizations/organization/network_speed_profiles': (args) => listSpeedProfiles(world, args),
    'GET /organizations/organization/available_networks': (args) => availableNetworks(world, args),
  }
}

function listSpeedProfiles(world: World, args: Args): unknown {
  findOrganization(world, args)
  const all = world.speedProfiles.map((speed) => ({
    id: speed.id,
    name: speed.name,
    upload_speed_in_mbit: speed.permalink === '1gbps' ? 1000 : 10_000,
    download_speed_in_mbit: speed.permalink === '1gbps' ? 1000 : 10_000,
    permalink: speed.permalink,
  }))
  return paginate(args, 'network_speed_profiles', all)
}

function availableNetworks(world: World, args: Args): unknown {
  findOrganization(world, args)
  const dataCenter = (permalink: string): Record<string, string> => ({
    id: `loc_${permalink.replace(/-/g, '')}`,
    name: permalink,
    permalink,
  })
  return {
    networks: world.networks.map((network) => ({
      id: network.id,
      name: network.name,
      permalink: network.permalink,
      default: true,
      data_center: dataCenter(network.dataCenter),
    })),
    virtual_networks: world.virtualNetworks.map((network) => ({
      id: network.id,
      name: network.name,
      data_center: dataCenter('uk-lon-01'),
    })),
  }
}
