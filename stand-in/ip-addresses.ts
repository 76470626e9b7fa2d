// The IP address routes: a new address for an interface (allocate_new_ip), one the organisation
// already holds given to an interface on its network (allocate_ip), an address taken back from
// its interface (unallocate) and one given up (delete), with the refusals Katapult gives.
import { ApiError, presentInterface, presentIp, validationError } from './answers.ts'
import { type Args, type Routes, findInterface, findIp } from './requests.ts'
import type { World } from './world.ts'

export function ipAddressRoutes(world: World): Routes {
  return {
    'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_new_ip': (args) =>
      allocateNewIp(world, args),
    'POST /virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_ip': (args) =>
      allocateIp(world, args),
    'POST /ip_addresses/ip_address/unallocate': (args) => unallocateIp(world, args),
    'DELETE /ip_addresses/ip_address': (args) => deleteIp(world, args),
  }
}

function allocateNewIp(world: World, args: Args): unknown {
  const found = findInterface(world, args)
  const version = args.address_version
  if (version !== 'ipv4' && version !== 'ipv6') {
    throw validationError('address_version must be ipv4 or ipv6')
  }
  return { ip_address: presentIp(world.allocate(found.id, version)) }
}

/** Allocates an address the organisation holds to an interface on the address's network. */
function allocateIp(world: World, args: Args): unknown {
  const found = findInterface(world, args)
  const ip = findIp(world, args)
  if (ip.interfaceId !== null) {
    throw new ApiError(422, 'ip_already_allocated', 'This IP address has already been allocated to another resource')
  }
  if (ip.networkId !== found.networkId) {
    throw new ApiError(422, 'invalid_ip', 'This IP address is not valid for this network interface.')
  }
  ip.interfaceId = found.id
  return { virtual_machine_network_interface: presentInterface(world, found) }
}

function unallocateIp(world: World, args: Args): unknown {
  const ip = findIp(world, args)
  if (ip.interfaceId === null) {
    throw new ApiError(
      422,
      'no_allocation',
      'This IP address is not currently allocated to any object, and cannot be unallocated.',
    )
  }
  ip.interfaceId = null
  return {}
}

function deleteIp(world: World, args: Args): unknown {
  const ip = findIp(world, args)
  world.ipAddresses.splice(world.ipAddresses.indexOf(ip), 1)
  return {}
}
